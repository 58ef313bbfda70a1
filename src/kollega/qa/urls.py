from django.urls import path

from kollega.qa import views

urlpatterns = [
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask, name="ask_question"),
    path("questions/similar/", views.similar, name="similar_questions"),
    path("questions/overview/", views.overview, name="qa_overview"),
    path("questions/<int:question_id>/", views.question_detail, name="question"),
    path("questions/<int:question_id>/send/", views.send, name="send_question"),
    path("questions/<int:question_id>/refer/", views.refer, name="refer_question"),
    path("questions/<int:question_id>/decline/", views.decline, name="decline_question"),
    path("questions/<int:question_id>/answer/", views.answer, name="answer_question"),
    path("questions/<int:question_id>/edit/", views.edit_question, name="edit_question"),
    path("answers/<int:answer_id>/edit/", views.edit_answer, name="edit_answer"),
    path(
        "answer-comments/<int:comment_id>/edit/",
        views.edit_answer_comment,
        name="edit_answer_comment",
    ),
    path("answers/<int:answer_id>/<str:action>/", views.answer_action, name="answer_action"),
]
