from django.contrib import admin

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
    list_filter = ["department", "office", "user__is_active"]
    search_fields = ["name", "user__username", "user__email", "title"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["department", "office", "manager"]


@admin.register(PersonTag)
class PersonTagAdmin(admin.ModelAdmin):
    list_display = ["person", "tag", "added_by", "added_at"]
    raw_id_fields = ["person", "tag", "added_by"]
