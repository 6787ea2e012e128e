"""The lesson bundle format, `sourcewise.lesson/1` (docs/lesson-bundle.md): one JSON file
that holds a whole lesson with its quizzes.

This app sits above the apps it serialises: it imports lessons and quizzes, they never
import it. It has no models. Its modules, in the order a bundle passes through them:

    bundle.load      load(path_or_file, name=...)   bytes -> JSON values, or BundleError
    bundle.schema    LESSON, SOURCE, … QUIZ          each model field listed once
    bundle.validate  validate(data, name=...)       every problem, without the database
    bundle.upsert    import_bundle(path_or_file)    validate, then write in one transaction
    bundle.dump      dump(lesson), dumps(lesson)    the lesson as a bundle
    bundle.errors    BundleError, Problem           "<file>: <item>: <problem>" with a code

and the commands `import_lesson FILE...` and `export_lesson SLUG [-o FILE]`. Nothing is
imported here: Django imports this package before the models are ready.
"""
