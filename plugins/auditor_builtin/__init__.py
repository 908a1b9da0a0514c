"""The built-in auditors of auditor, loaded through the ``auditor.plugins`` entry points like any
third-party plugin."""
