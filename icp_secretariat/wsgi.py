import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")
application = get_wsgi_application()
