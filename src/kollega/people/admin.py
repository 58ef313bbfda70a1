from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.people.erasure import erase_person
from kollega.people.models import Department, Office, Person, PersonTag


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "country"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "department", "office", "manager"]
    list_filter = ["department", "office", "user__is_active", "public_pages"]
    search_fields = ["name", "user__username", "user__email", "title"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["department", "office", "manager"]
    actions = ["erase_selected"]

    @admin.action(description=gettext_lazy("Erase the selected people (cannot be undone)"))
    def erase_selected(self, request, queryset):
        """Erase after a confirmation page, as Django's own delete does."""
        if not request.user.is_superuser:
            self.message_user(request, _("Only an administrator may erase."), messages.ERROR)
            return None
        if request.POST.get("confirmed") == "yes":
            people = list(queryset.select_related("user"))
            for person in people:
                erase_person(person)
            self.message_user(request, _("%(count)d people erased.") % {"count": len(people)})
            return None
        context = {
            **self.admin_site.each_context(request),
            "people": queryset.select_related("user"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/people/erase_confirmation.html", context)


@admin.register(PersonTag)
class PersonTagAdmin(admin.ModelAdmin):
    list_display = ["person", "tag", "added_by", "added_at"]
    raw_id_fields = ["person", "tag", "added_by"]
