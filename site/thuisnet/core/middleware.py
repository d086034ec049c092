class DutchByDefaultMiddleware:
    """Dutch unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and a
    Dutch public service should not change language because a laptop was set up in English.
    The choice is kept in the language cookie, which LocaleMiddleware still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
