#ifndef CEDITSHIM_H
#define CEDITSHIM_H

// One plain function per variadic libedit call the REPL makes: Swift cannot
// call C variadic functions (el_set, el_get, history).
#include <histedit.h>

typedef char *(*tk8s_prompt_fn)(EditLine *);
typedef unsigned char (*tk8s_edit_fn)(EditLine *, int);

/// el_init on the process's stdin/stdout/stderr (C globals Swift 6 will not touch).
EditLine *tk8s_el_init_std(const char *program);
int tk8s_el_set_prompt(EditLine *el, tk8s_prompt_fn fn);
int tk8s_el_set_editor(EditLine *el, const char *mode);
int tk8s_el_set_signal(EditLine *el, int on);
int tk8s_el_set_hist(EditLine *el, History *h);
int tk8s_el_set_clientdata(EditLine *el, void *data);
void *tk8s_el_get_clientdata(EditLine *el);
int tk8s_el_addfn(EditLine *el, const char *name, const char *help, tk8s_edit_fn fn);
int tk8s_el_bind(EditLine *el, const char *key, const char *command);

int tk8s_history_setsize(History *h, int size);
int tk8s_history_setunique(History *h, int on);
int tk8s_history_enter(History *h, const char *line);
int tk8s_history_clear(History *h);
int tk8s_history_load(History *h, const char *path);
int tk8s_history_save(History *h, const char *path);
/// H_LAST (the oldest entry) or H_PREV (the next newer one); NULL at the end.
const char *tk8s_history_oldest(History *h);
const char *tk8s_history_newer(History *h);

#endif
