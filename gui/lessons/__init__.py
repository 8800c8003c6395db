"""Lessons: a lecture scripted once as a ``.bplesson`` file (``lesson_file``), given slide by slide on
the session (``player``), and handed out as a PDF or an HTML folder (``handout``)."""
