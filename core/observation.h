/* Observations: the normalised records every public source becomes.
 *
 * An observation is one number for one territory, indicator and period,
 * with its unit, status and where it came from.  Sources parse a payload
 * into an obs_list; the store (store.h) keeps them with the payload's
 * provenance (URL, retrieval time, sha256), which is not repeated here.
 *
 * Text fields are fixed-size and NUL-terminated: observation_set() refuses
 * a value that does not fit (untrusted input has a hard cap).  A secret or
 * missing value has status OBS_SECRET or OBS_MISSING and value NAN: never
 * zero. */
#ifndef TERRAIN_OBSERVATION_H
#define TERRAIN_OBSERVATION_H

#include <stddef.h>

#include "error.h"

enum obs_status {
	OBS_FINAL = 0,	 /* published, definitive as far as the source says */
	OBS_PROVISIONAL, /* provisional or semi-definitive (BDM "SD", latest quarter) */
	OBS_REVISED,	 /* revised since first publication (BDM OBS_REV=1) */
	OBS_ROUNDED,	 /* rounded by the publisher for secrecy (DARES, CAF: multiples of 5) */
	OBS_SECRET,	 /* withheld (statistical secret): value NAN */
	OBS_MISSING,	 /* absent or empty in the source: value NAN */
};

/* "final", "provisional", "revised", "rounded", "secret", "missing". */
const char *obs_status_name(enum obs_status s);
/* The inverse; returns -1 for an unknown name. */
int obs_status_parse(const char *name);

#define OBS_TERRITORY_MAX 32
#define OBS_COG_MAX	  8
#define OBS_INDICATOR_MAX 128
#define OBS_PERIOD_MAX	  16
#define OBS_UNIT_MAX	  16
#define OBS_SOURCE_MAX	  24
#define OBS_DATASET_MAX	  64
#define OBS_VINTAGE_MAX	  24

struct observation {
	/* Typed territory code as text: "com:38185", "arm:69381",
	 * "epci:200040715", "dep:38", "reg:84", "fr" (France entière),
	 * "frm" (France métropolitaine), "ze:2814" (zone d'emploi 2020). */
	char territory[OBS_TERRITORY_MAX];
	char cog[OBS_COG_MAX];		   /* geography vintage of the code ("2025"), "" unknown */
	char indicator[OBS_INDICATOR_MAX]; /* source-level id, e.g. "melodi.popref.pmun" */
	char period[OBS_PERIOD_MAX];	   /* "2021", "2026-Q1", "2024-12" */
	char unit[OBS_UNIT_MAX];	   /* "persons", "households", "percent", "euros" ... */
	char source[OBS_SOURCE_MAX];   /* "melodi", "bdm", "dares", "caf", "geo", "francetravail" */
	char dataset[OBS_DATASET_MAX]; /* the source's dataset id: "DS_FILOSOFI_CC", "001515903" */
	char vintage[OBS_VINTAGE_MAX]; /* the data's edition if known: "2026-06-19", "" */
	double value;		       /* NAN when status is OBS_SECRET or OBS_MISSING */
	enum obs_status status;
};

/* Copy s into the field dst of capacity cap; a value that does not fit is
 * an error naming what (the field name) and the value. */
enum status observation_set(char *dst, size_t cap, const char *what, const char *s,
			    struct error *err);

struct obs_list {
	struct observation *v;
	size_t n, alloc;
};

#define OBS_LIST_INIT      \
	{                  \
		NULL, 0, 0 \
	}

/* A new zeroed observation at the end of the list (value NAN, status
 * OBS_FINAL); the pointer is valid until the next push. */
struct observation *obs_list_push(struct obs_list *l);
void obs_list_release(struct obs_list *l);

/* An insertion structure (not an observation: the offer inventory of
 * issue 6 reads them from the store).  One entry of the SIAE directory (les emplois de
 * l'inclusion). */
struct siae_structure {
	char siret[16]; /* 14 digits, "" when absent */
	char kind[8];	/* "ACI", "EI", "AI", "ETTI", "EITI", or the directory's own code */
	char name[256]; /* enseigne, else raison sociale */
	char postcode[8];
	char city[128];
	char dep[4];
	char insee[6];	     /* commune code when the directory gives it, else "" */
	char updated[32];    /* mis_a_jour_le */
	unsigned npositions; /* "postes" listed: job offers, not a capacity */
	char source[16];     /* read back from the store: its source ("siae",
			      * "inclusion"); "" from a parser */
};

struct siae_list {
	struct siae_structure *v;
	size_t n, alloc;
};

#endif
