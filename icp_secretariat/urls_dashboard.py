"""The `secretariat` namespace under /dashboard/: the partnership's structure (committees) and its
people, memberships and offices (members), assembled here so neither app imports the other's
screens."""

from committees import urls as committees_urls
from members import urls as members_urls

app_name = "secretariat"
urlpatterns = committees_urls.urlpatterns + members_urls.urlpatterns
