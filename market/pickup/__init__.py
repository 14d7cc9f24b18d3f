"""自提点: the pickup-point staff's pages (``/pickup/``): orders at their point, hand-over by pickup code."""
