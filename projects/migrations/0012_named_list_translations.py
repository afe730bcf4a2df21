"""French and Spanish names for the regions and project types that exist.

The names are those the importer gives the entries it creates
(``legacy.parsing.project._TRANSLATED_NAMES``), frozen here as they were when this migration
was written. An entry is matched on its English name, case ignored; a name already filled in is
kept. An entry named in French or Spanish, made by an import before the importer mapped those
names, is folded into its English entry: its projects move there and it is deleted (or, when
there is no English entry, it is renamed to the English name, keeping its slug).
Backwards: nothing to undo (migration 0011 drops the columns).
"""

from django.db import migrations

NAMES = {
    "Latin America and the Caribbean":
        ("Amérique latine et Caraïbes", "América Latina y el Caribe"),
    "West and Central Africa": ("Afrique de l'Ouest et du Centre", "África Occidental y Central"),
    "East and Horn of Africa":
        ("Afrique de l'Est et Corne de l'Afrique", "África Oriental y Cuerno de África"),
    "Southern Africa": ("Afrique australe", "África Meridional"),
    "Middle East and North Africa":
        ("Moyen-Orient et Afrique du Nord", "Oriente Medio y Norte de África"),
    "Asia and Oceania": ("Asie et Océanie", "Asia y Oceanía"),
    "Asia and the Pacific": ("Asie et Pacifique", "Asia y el Pacífico"),
    "South-Eastern Europe, Eastern Europe and Central Asia":
        ("Europe du Sud-Est, Europe orientale et Asie centrale",
         "Europa Sudoriental, Europa Oriental y Asia Central"),
    "European Economic Area": ("Espace économique européen", "Espacio Económico Europeo"),
    "Central and North America and the Caribbean":
        ("Amérique centrale, Amérique du Nord et Caraïbes",
         "América Central, América del Norte y el Caribe"),
    "South America": ("Amérique du Sud", "América del Sur"),
    "Global": ("Mondial", "Mundial"),
    "Community and Economic Development":
        ("Développement communautaire et économique", "Desarrollo comunitario y económico"),
    "Immigration and Border Management":
        ("Gestion de l'immigration et des frontières",
         "Gestión de la inmigración y de las fronteras"),
    "Counter-Trafficking":
        ("Lutte contre la traite des personnes", "Lucha contra la trata de personas"),
    "Migration Health": ("Migration et santé", "Migración y salud"),
    "Labour Mobility and Human Development":
        ("Mobilité de la main-d'œuvre et développement humain",
         "Movilidad laboral y desarrollo humano"),
    "Labour Migration": ("Migration de main-d'œuvre", "Migración laboral"),
    "Migration Policy": ("Politique migratoire", "Política migratoria"),
    "Migration Policy Research":
        ("Recherche sur les politiques migratoires",
         "Investigación sobre políticas migratorias"),
    "Migration and Development": ("Migration et développement", "Migración y desarrollo"),
    "Migration, Environment and Climate Change":
        ("Migration, environnement et changement climatique",
         "Migración, medio ambiente y cambio climático"),
    "Return and Reintegration": ("Retour et réintégration", "Retorno y reintegración"),
    "Protection and Assistance for Vulnerable Migrants":
        ("Protection et assistance aux migrants vulnérables",
         "Protección y asistencia a migrantes vulnerables"),
    "Migration Governance": ("Gouvernance des migrations", "Gobernanza de la migración"),
    "Emergency and Post-Crisis": ("Urgence et post-crise", "Emergencia y poscrisis"),
}  # fmt: skip


def fill_names(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for model_name, field in (("Region", "region"), ("ProjectType", "project_type")):
        model = apps.get_model("projects", model_name)
        entries = {entry.name.casefold(): entry for entry in model.objects.order_by("-pk")}
        for english, (french, spanish) in NAMES.items():
            main = entries.get(english.casefold())
            for other_name in (french, spanish):
                other = entries.get(other_name.casefold())
                if other is None or other is main:
                    continue
                if main is None:
                    other.name = english
                    other.save(update_fields=["name"])
                    main = entries[english.casefold()] = other
                else:
                    Project.objects.filter(**{field: other}).update(**{field: main})
                    other.delete()
                entries.pop(other_name.casefold(), None)
            if main is None:
                continue
            main.name_fr = main.name_fr or french
            main.name_es = main.name_es or spanish
            main.save(update_fields=["name_fr", "name_es"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0011_translated_names_and_shared_codes")]
    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop, elidable=False)]
