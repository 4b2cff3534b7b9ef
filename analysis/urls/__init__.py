"""URLs of the analysis app, one module per sub-domain; all in the "analysis" namespace."""
from . import audits, crime, current_state, inspections

app_name = "analysis"

urlpatterns = inspections.urlpatterns + audits.urlpatterns + crime.urlpatterns + current_state.urlpatterns
