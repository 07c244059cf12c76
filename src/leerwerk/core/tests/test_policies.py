"""The permission policies: one rule table per model, the same answer for lists and objects."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.core.access import access_for
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, policy_for, registered_policies
from leerwerk.network.models import Desk, Location, StaffMembership
from leerwerk.network.tests.factories import LocationFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db


def test_every_model_of_the_project_has_exactly_one_policy():
    # given all concrete models of our own apps
    ours = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("leerwerk.") and not model._meta.auto_created
    ]
    # then each has a registered policy
    missing = [model.__name__ for model in ours if model not in registered_policies()]
    assert missing == []


def test_a_personal_data_policy_cannot_grant_the_national_team_anything():
    with pytest.raises(ImproperlyConfigured, match="aggregates only"):

        class LeakyPolicy(Policy):
            personal_data = True
            grants = {Action.VIEW: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM])}


def test_a_personal_data_policy_cannot_be_public():
    with pytest.raises(ImproperlyConfigured):

        class PublicPersonalPolicy(Policy):
            personal_data = True
            grants = {Action.VIEW: Grant.of(public=True)}


@pytest.mark.parametrize("role", [GlobalRole.NATIONAL_TEAM, GlobalRole.MINISTRY_VIEWER])
def test_aggregate_only_roles_see_no_object_of_any_personal_data_model(role, adviser_a):
    # given a national-team or ministry user and personal data at a desk
    viewer = UserFactory(global_role=role)
    personal = [m for m, p in registered_policies().items() if p.personal_data]
    assert StaffMembership in personal
    # then every personal-data model is empty for them, for every action
    for model in personal:
        for action in Action.values:
            assert not model._default_manager.for_user(viewer, action).exists(), model
    membership = StaffMembership.objects.get(user=adviser_a)
    assert not policy_for(StaffMembership).can(viewer, Action.VIEW, membership)


def test_national_team_sees_every_desk_and_location_but_changes_nothing(
    national_user, desk_a, desk_b
):
    LocationFactory(desk=desk_a)
    LocationFactory(desk=desk_b)
    assert Desk.objects.for_user(national_user).count() == Desk.objects.count() == 35
    assert set(Location.objects.for_user(national_user).values_list("desk", flat=True)) == {
        desk_a.pk,
        desk_b.pk,
    }
    assert not Location.objects.for_user(national_user, Action.CHANGE).exists()
    assert not policy_for(Desk).can(national_user, Action.CHANGE, desk_a)


def test_adviser_scope_is_own_desk_only(adviser_a, desk_a, desk_b):
    own = LocationFactory(desk=desk_a)
    other = LocationFactory(desk=desk_b)
    assert list(Location.objects.for_user(adviser_a)) == [own]
    assert list(Desk.objects.for_user(adviser_a)) == [desk_a]
    policy = policy_for(Location)
    assert policy.can(adviser_a, Action.VIEW, own)
    assert not policy.can(adviser_a, Action.VIEW, other)
    assert not policy.can(adviser_a, Action.CHANGE, own)  # advisers don't manage locations


def test_desk_manager_manages_own_desk_only(manager_a, desk_a, desk_b):
    policy = policy_for(Location)
    assert policy.can_on_desk(manager_a, Action.ADD, desk_a.pk)
    assert not policy.can_on_desk(manager_a, Action.ADD, desk_b.pk)
    other_member = StaffMembershipFactory(desk=desk_b)
    assert not policy_for(StaffMembership).can(manager_a, Action.CHANGE, other_member)
    assert list(StaffMembership.objects.for_user(manager_a, Action.CHANGE)) == list(
        StaffMembership.objects.filter(desk=desk_a)
    )


def test_policy_for_list_and_object_agree(adviser_a, manager_b, desk_a, desk_b):
    # given locations at two desks and users with various roles
    locations = [LocationFactory(desk=desk_a), LocationFactory(desk=desk_b)]
    policy = policy_for(Location)
    for user in (adviser_a, manager_b):
        for action in Action.values:
            listed = set(Location.objects.for_user(user, action))
            # then an object is in the list exactly when can() says yes
            assert {loc for loc in locations if policy.can(user, action, loc)} == listed & set(
                locations
            )


@pytest.mark.parametrize(
    ("start", "end", "active"),
    [
        (-30, None, True),
        (-30, 0, True),  # the end date is the last working day
        (-30, -1, False),  # ended yesterday
        (1, None, False),  # starts tomorrow
    ],
)
def test_membership_period_decides_access(desk_a, start, end, active):
    today = timezone.localdate()
    membership = StaffMembershipFactory(
        desk=desk_a,
        start_date=today + datetime.timedelta(days=start),
        end_date=None if end is None else today + datetime.timedelta(days=end),
    )
    roles = access_for(membership.user).roles_at(desk_a.pk)
    assert (DeskRole.ADVISER in roles) is active
    assert Desk.objects.for_user(membership.user).filter(pk=desk_a.pk).exists() is active


def test_inactive_account_has_no_access_even_with_a_running_membership(desk_a):
    membership = StaffMembershipFactory(desk=desk_a, user__is_active=False)
    assert access_for(membership.user).desk_roles == {}
    assert not Desk.objects.for_user(membership.user).exists()


def test_anonymous_sees_only_public_data(desk_a):
    from django.contrib.auth.models import AnonymousUser

    LocationFactory(desk=desk_a)
    anonymous = AnonymousUser()
    assert not Desk.objects.for_user(anonymous).exists()
    assert not Location.objects.for_user(anonymous).exists()
    from leerwerk.network.models import Region

    assert Region.objects.for_user(anonymous).count() == 35


def test_get_for_user_or_404_distinguishes_hidden_from_forbidden(adviser_a, desk_a, desk_b):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    own = LocationFactory(desk=desk_a)
    other = LocationFactory(desk=desk_b)
    assert Location.objects.get_for_user_or_404(adviser_a, uuid=own.uuid) == own
    with pytest.raises(Http404):
        Location.objects.get_for_user_or_404(adviser_a, uuid=other.uuid)
    with pytest.raises(Http404):
        Location.objects.get_for_user_or_404(adviser_a, Action.CHANGE, uuid=other.uuid)
    with pytest.raises(PermissionDenied):
        Location.objects.get_for_user_or_404(adviser_a, Action.CHANGE, uuid=own.uuid)
    with pytest.raises(Http404):
        Location.objects.get_for_user_or_404(adviser_a, uuid="not-a-uuid")
