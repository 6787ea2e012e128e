from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("classes/", views.mine, name="mine"),
    path("classes/join/", views.join, name="join"),
]
