from django.conf import settings

from leerwerk.core.access import access_for


def site(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    return {
        "brand_name": getattr(settings, "LEERWERK_BRAND_NAME", "Leerwerkloket"),
        "access": access_for(user),
    }
