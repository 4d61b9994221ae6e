"""Funding endpoints: instruments and calls to read; applications, decisions and
implementations to record through the same services as the idea page."""

from __future__ import annotations

from rest_framework import mixins, serializers

from core.api import ApiViewSet, ServiceSerializer
from funding import services
from funding.filters import ApplicationFilter, CallFilter, ImplementationFilter, InstrumentFilter
from funding.models import FundingApplication, FundingCall, FundingInstrument, Implementation
from funding.selectors import applications_for_table

READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)
WRITE = (mixins.CreateModelMixin, mixins.UpdateModelMixin)


class InstrumentSerializer(serializers.ModelSerializer):
    funder_name = serializers.CharField(source="funder.name", read_only=True)

    class Meta:
        model = FundingInstrument
        fields = [
            "id",
            "code",
            "name_fi",
            "name_sv",
            "name_en",
            "funder",
            "funder_name",
            "level",
            "typical_max_rate",
            "link",
            "is_active",
        ]


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingCall
        fields = ["id", "instrument", "title", "opens", "deadline", "link"]


class ApplicationSerializer(ServiceSerializer):
    """An application and, once decided, its decision: ``approved`` with ``granted`` and
    ``decided_on``, or ``rejected`` with ``decided_on``. The decision follows the status: any
    other status clears ``granted`` and ``decided_on``, and a rejection records no
    ``granted``, as on the idea page."""

    class Meta:
        model = FundingApplication
        fields = [
            "id",
            "idea",
            "instrument",
            "call",
            "applicant",
            "reference",
            "total_budget",
            "requested",
            "granted",
            "status",
            "submitted_on",
            "decided_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    fixed_after_create = ("idea",)

    def save_instance(self, application: FundingApplication) -> FundingApplication:
        return services.application_save(application=application, by=self.by)


class ImplementationSerializer(ServiceSerializer):
    class Meta:
        model = Implementation
        fields = [
            "id",
            "idea",
            "lead_organisation",
            "start",
            "end",
            "total_budget",
            "health",
            "final_report_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    fixed_after_create = ("idea",)

    def save_instance(self, implementation: Implementation) -> Implementation:
        return services.implementation_save(implementation=implementation, by=self.by)


class InstrumentViewSet(*READ, ApiViewSet):
    """Funding instruments (AKKE, Business Finland, EU programmes…) and their funders."""

    queryset = FundingInstrument.objects.select_related("funder").order_by("level", "code")
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter


class CallViewSet(*READ, ApiViewSet):
    """Calls for applications with their deadlines."""

    queryset = FundingCall.objects.order_by("deadline", "pk")
    serializer_class = CallSerializer
    filterset_class = CallFilter


class ApplicationViewSet(*READ, *WRITE, ApiViewSet):
    """Funding applications of ideas, and the funders' decisions on them."""

    queryset = applications_for_table(FundingApplication.objects.all())
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter


class ImplementationViewSet(*READ, *WRITE, ApiViewSet):
    """How funded ideas are carried out: dates, budget, health, final report."""

    queryset = Implementation.objects.order_by("start", "pk")
    serializer_class = ImplementationSerializer
    filterset_class = ImplementationFilter
