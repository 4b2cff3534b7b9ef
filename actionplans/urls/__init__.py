"""URLs of the action plan, one module per sub-domain; all in the "actionplans" namespace."""
from . import actions, exports

app_name = "actionplans"

urlpatterns = actions.urlpatterns + exports.urlpatterns
