from django.http import Http404

from iomcms.methods import read_only


@read_only
def country_detail(request, iso):
    # Being built (issue 17): the page of one country's public news, projects and contacts.
    raise Http404
