from motcua.api.api import api

app_name = "api"
# The ninja URL patterns without ninja's own namespace tuple: the root urls include this module as
# "api", which is the namespace the NinjaAPI instance was built with.
urlpatterns = api.urls[0]
