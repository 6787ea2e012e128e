"""Quizzes into a learning management system: Moodle XML (`lms.moodle`) and GIFT
(`lms.gift`), both written from one plan of the quiz (`lms.plan`).

This package sits above the apps it serialises: it imports `quizzes` and `lessons`;
nothing imports it but the admin, through `lms.admin_actions`."""
