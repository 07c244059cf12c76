from django.conf import settings

from leerwerk.core.access import access_for


def site(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    return {
        "site_name": getattr(settings, "LEERWERK_SITE_NAME", "Leerwerkloket"),
        "access": access_for(user),
    }
