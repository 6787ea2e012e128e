"""What quizzes announces to the layers that keep copies of its data.

`attempt_rescored` (sender: `Attempt`, argument `attempt_ids`: a list of ids) is sent,
after the transaction commits, whenever a submitted attempt's stored score changes: a
grade override, a re-grade of a question, a written answer marked. Whoever keeps a copy
of a submitted attempt's result (the cached result page) drops it on this signal."""

from django.dispatch import Signal

attempt_rescored = Signal()
