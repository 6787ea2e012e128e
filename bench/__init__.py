"""`make bench`: the student path under gunicorn and Locust, against a trivial view as
the ceiling. Not collected by pytest (testpaths = tests)."""
