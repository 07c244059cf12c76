import logging
import time

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("leerwerk.request")


class RequestLogMiddleware:
    """One log line per request: route (not the raw path), status, duration. No query string,
    no user identity beyond the pseudonymous user id."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else "(unresolved)",
                "view": match.view_name if match else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
