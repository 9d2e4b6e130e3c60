"""Updates that install: signed manifests, verified downloads, side-by-side installs.

No Qt here (the widget's glue is ``tracktray.desktop.update_install``) and nothing is
imported at start-up: the modules load when an update is actually prepared.
"""
