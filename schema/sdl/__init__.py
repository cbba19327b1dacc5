"""The committed SDL: its export (`python -m schema.sdl.export`) and the check of its changes against
the last release (`python -m schema.sdl.changes`). Nothing in the running service imports these."""
