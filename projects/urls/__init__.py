"""URLs of the projects app, one module per sub-domain; all in the "projects" namespace."""
from . import meetings, partnership, project, workflow

app_name = "projects"

urlpatterns = project.urlpatterns + workflow.urlpatterns + meetings.urlpatterns + partnership.urlpatterns
