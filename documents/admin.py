from django.contrib import admin

from documents.models import DocumentBuild, PublishedDocument


@admin.register(PublishedDocument)
class PublishedDocumentAdmin(admin.ModelAdmin):
    list_display = ("meeting", "kind", "audience", "version", "page_count", "built_at")
    list_filter = ("kind", "audience")
    readonly_fields = [f.name for f in PublishedDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DocumentBuild)
class DocumentBuildAdmin(admin.ModelAdmin):
    list_display = ("meeting", "state", "reason", "requested_at", "finished_at", "documents_made")
    list_filter = ("state",)
    readonly_fields = [f.name for f in DocumentBuild._meta.fields]
