"""dossier's user interfaces: the command line (cli.py) and the Textual browser (app.py)."""
