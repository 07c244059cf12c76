from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions, routers

from leerwerk.api import crm_views, views
from leerwerk.catalogue import api_search as catalogue_api
from leerwerk.funding import api as funding_api

app_name = "api"


class ApiRootView(routers.APIRootView):
    """Leerwerk API, version 1. The schema is at /api/v1/schema/."""

    permission_classes = [permissions.AllowAny]


class Router(routers.DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False


router = Router()
# Public: anyone may read (anonymous clients are throttled).
router.register("regions", views.RegionViewSet, basename="region")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("desks", views.DeskViewSet, basename="desk")
router.register("locations", views.LocationViewSet, basename="location")
router.register("partners", views.PartnerViewSet, basename="partner")
# Staff and partner clients: token or session, scoped per user.
router.register("staff/desks", views.StaffDeskViewSet, basename="staff-desk")
router.register("staff/locations", views.StaffLocationViewSet, basename="staff-location")
router.register("staff/memberships", views.StaffMembershipViewSet, basename="staff-membership")
router.register("staff/partnerships", views.StaffPartnershipViewSet, basename="staff-partnership")
# The shared CRM (issue 3): desk staff only; personal data never reaches the national team.
router.register("staff/clients", crm_views.ClientViewSet, basename="staff-client")
router.register("staff/employers", crm_views.EmployerViewSet, basename="staff-employer")
router.register("staff/requests", crm_views.IntakeRequestViewSet, basename="staff-request")
router.register("staff/trajectories", crm_views.TrajectoryViewSet, basename="staff-trajectory")
router.register("staff/registrations", crm_views.RegistrationViewSet, basename="staff-registration")
# Public: the national vocabulary of registrations. Partners: referrals with a partner token.
router.register("vocabulary", crm_views.VocabularyViewSet, basename="vocabulary")
router.register("referrals", crm_views.ReferralViewSet, basename="referral")
# Funding (issue 6): public arrangements and a rate-limited evaluation.
router.register("funding/arrangements", funding_api.ArrangementViewSet, basename="funding")

# Catalogue (issue 5): public search of training offers (anonymous clients throttled).
router.register("catalogue/offers", catalogue_api.OfferViewSet, basename="catalogue-offer")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("postcodes/<str:code>/", views.PostcodeView.as_view(), name="postcode"),
    path("funding/evaluate/", funding_api.EvaluateView.as_view(), name="funding-evaluate"),
    path("", include(router.urls)),
]
