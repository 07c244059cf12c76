import pytest


@pytest.fixture
def only_version_1(db):  # type: ignore[no-untyped-def]
    """The world before counting rules version 2 (seeded for 2027) was published: for tests of
    the rule-set editor and of rule-set choice that number their own new versions from 2."""
    from leerwerk.reporting.models import RuleSet

    RuleSet.objects.filter(number__gt=1).delete()
