"""村务工作台: a first secretary's one page for the village's produce, orders and deliveries,
and the operators' review queue (``/village/``)."""
