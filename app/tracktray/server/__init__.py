"""HTTP faces of the engine: the TrackMyPeople API, the block edit page, and the
``tracktray-server`` command that serves them over HTTPS."""
