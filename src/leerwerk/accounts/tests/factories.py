import factory

from leerwerk.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"medewerker{n}@example.test")
    name = factory.Sequence(lambda n: f"Test Medewerker {n}")
    password = factory.django.Password("correct-horse-battery-9")
    is_active = True
