from django.contrib import admin

from kollega.qa.models import Answer, Question, Referral, RoutingPlan


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "asked_at", "answer_count", "referral_hops")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("post", "accepted_answer")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "author", "created_at", "helpful_count", "confirmation_count")
    raw_id_fields = ("question", "author")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("question", "person", "referred_by", "hops", "status", "routed", "created_at")
    raw_id_fields = ("question", "person", "referred_by", "via")


@admin.register(RoutingPlan)
class RoutingPlanAdmin(admin.ModelAdmin):
    list_display = ("question", "state", "batch", "wait_minutes", "deadline", "rounds")
    list_filter = ("state",)
    raw_id_fields = ("question",)
