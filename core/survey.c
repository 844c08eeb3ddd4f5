#include "survey.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
    [SURVEY_SINGLE] = "single",	  [SURVEY_MULTIPLE] = "multiple", [SURVEY_ORDINAL] = "ordinal",
    [SURVEY_INTEGER] = "integer", [SURVEY_DECIMAL] = "decimal",	  [SURVEY_DATE] = "date",
    [SURVEY_TEXT] = "text",
};

void survey_init(struct survey *s)
{
	memset(s, 0, sizeof(*s));
}

static void var_release(struct survey_var *v, size_t n)
{
	free(v->name);
	free(v->column);
	free(v->short_label);
	for (size_t k = 0; k < v->ncat; k++) {
		free(v->cat[k].code);
		free(v->cat[k].label);
		free(v->cat[k].column);
	}
	free(v->cat);
	for (size_t k = 0; k < v->nmissing; k++)
		free(v->missing[k]);
	free(v->missing);
	free(v->note);
	free(v->skill);
	free(v->value);
	free(v->status);
	free(v->chosen);
	if (v->text)
		for (size_t i = 0; i < n; i++)
			free(v->text[i]);
	free(v->text);
}

void survey_release(struct survey *s)
{
	for (size_t i = 0; i < s->nvar; i++)
		var_release(&s->var[i], s->n);
	free(s->var);
	free(s->line);
	free(s->file);
	free(s->codebook);
	survey_init(s);
}

size_t survey_find(const struct survey *s, const char *name)
{
	for (size_t i = 0; i < s->nvar; i++)
		if (!strcmp(s->var[i].name, name))
			return i;
	return (size_t)-1;
}

size_t survey_category(const struct survey_var *v, const char *code)
{
	for (size_t k = 0; k < v->ncat; k++)
		if (!strcmp(v->cat[k].code, code))
			return k;
	return (size_t)-1;
}

size_t survey_category_or_label(const struct survey_var *v, const char *s)
{
	size_t k = survey_category(v, s);
	for (size_t j = 0; k == (size_t)-1 && j < v->ncat; j++)
		if (!strcmp(v->cat[j].label, s))
			k = j;
	return k;
}

const struct survey_var *survey_weight_var(const struct survey *s)
{
	return survey_role_var(s, SURVEY_ROLE_WEIGHT);
}

const struct survey_var *survey_role_var(const struct survey *s, enum survey_role r)
{
	for (size_t i = 0; i < s->nvar; i++)
		if (s->var[i].role == r)
			return &s->var[i];
	return NULL;
}

static const char *const role_names[] = {
    [SURVEY_ROLE_NONE] = "",
    [SURVEY_ROLE_WEIGHT] = "weight",
    [SURVEY_ROLE_STRATUM] = "stratum",
    [SURVEY_ROLE_CLUSTER] = "cluster",
    [SURVEY_ROLE_CLUSTER2] = "cluster2",
    [SURVEY_ROLE_FPC] = "fpc",
    [SURVEY_ROLE_FPC2] = "fpc2",
    [SURVEY_ROLE_ID] = "id",
    [SURVEY_ROLE_META] = "meta",
};

const char *survey_role_name(enum survey_role r)
{
	return role_names[r];
}

bool survey_role_parse(const char *s, enum survey_role *r)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (!strcmp(s, role_names[i])) {
			*r = (enum survey_role)i;
			return true;
		}
	}
	return false;
}

const char *survey_type_name(enum survey_type t)
{
	return type_names[t];
}

bool survey_type_parse(const char *s, enum survey_type *t)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (!strcmp(s, type_names[i])) {
			*t = (enum survey_type)i;
			return true;
		}
	}
	return false;
}

bool survey_is_categorical(enum survey_type t)
{
	return t == SURVEY_SINGLE || t == SURVEY_MULTIPLE || t == SURVEY_ORDINAL;
}
