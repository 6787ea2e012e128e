from django.urls import path

from . import handout, views

app_name = "classes"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("work/", views.work, name="work"),
    path("classes/", views.mine, name="mine"),
    path("classes/join/", views.join, name="join"),
    path("classes/<int:pk>/handout/", handout.handout, name="handout"),
]
