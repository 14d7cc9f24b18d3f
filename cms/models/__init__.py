"""The models of 社区家园: pages (``pages``), events and reservations (``events``), the directory
(``directory``), 积分 (``points``)."""

from .directory import CommunityService, VolunteerRequest, VolunteerTeam  # noqa: F401
from .events import EventPage, Reservation  # noqa: F401
from .points import PointsEntry  # noqa: F401
from .pages import (CommunityIndexPage, CommunityNewsPage, CommunityPage, HarvestMonth, HomePage,  # noqa: F401
                    IndexPage, ServiceDirectoryPage, VillageIndexPage, VillagePage, resident_community)
