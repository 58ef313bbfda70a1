from django.utils import translation


class PersonLanguageMiddleware:
    """Use the interface language a signed-in person chose in their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        person = getattr(user, "person", None) if user and user.is_authenticated else None
        if person is not None and person.language:
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
        return self.get_response(request)
