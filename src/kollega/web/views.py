def set_language(request):
    pass
