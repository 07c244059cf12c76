"""Staff pages for trajectories, registrations and employers (under /medewerkers/begeleiding/).

Every desk object is fetched through the scoping layer (``for_user`` / ``get_for_user_or_404``):
someone who may not see an object gets 404, someone who may see it but not do the action gets
403. Every write goes through ``leerwerk.guidance.services`` or ``leerwerk.clients.services``;
their ValidationErrors and ConflictErrors are shown on the form, with the user's input kept.
"""
