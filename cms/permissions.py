"""
Who may look after a community: its editors (a Wagtail group with edit rights
on the community's page — the one place that right is kept), its workers
(``market.Community.workers``) and the operators. Checked against the database
on every request.
"""

from market.models import Community

from .models import CommunityPage


def editable_communities(user):
    """Communities whose page this user may edit in Wagtail (all for operators)."""
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    pages = CommunityPage.objects.all()
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return Community.objects.filter(page__in=pages.filter(pk__in=editable.values("pk")))


def staffed_communities(user):
    """Communities this user works for: editors, workers and operators see reservations and requests."""
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    return Community.objects.filter(pk__in=editable_communities(user).values("pk")) | \
        Community.objects.filter(workers=user)


def is_community_staff(user, community):
    return staffed_communities(user).filter(pk=community.pk).exists()
