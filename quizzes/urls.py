from django.urls import path

from . import result_views, views

app_name = "quizzes"

urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_start, name="start"),
    path("quizzes/<int:pk>/attempts/", views.attempt_start, name="attempt_start"),
    path("attempts/<int:pk>/", views.attempt_resume, name="attempt"),
    path("attempts/<int:pk>/questions/<int:number>/", views.attempt_question, name="question"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="review"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:pk>/result/", result_views.attempt_result, name="result"),
]
