#include <stdio.h>
#include "CEditShim.h"

EditLine *tk8s_el_init_std(const char *program) { return el_init(program, stdin, stdout, stderr); }

int tk8s_el_set_prompt(EditLine *el, tk8s_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
int tk8s_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int tk8s_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
int tk8s_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
int tk8s_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *tk8s_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int tk8s_el_addfn(EditLine *el, const char *name, const char *help, tk8s_edit_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int tk8s_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

int tk8s_history_setsize(History *h, int size) { HistEvent ev; return history(h, &ev, H_SETSIZE, size); }
int tk8s_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
int tk8s_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
int tk8s_history_clear(History *h) { HistEvent ev; return history(h, &ev, H_CLEAR); }
int tk8s_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
int tk8s_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }

const char *tk8s_history_oldest(History *h) {
    HistEvent ev;
    return history(h, &ev, H_LAST) == -1 ? NULL : ev.str;
}

const char *tk8s_history_newer(History *h) {
    HistEvent ev;
    return history(h, &ev, H_PREV) == -1 ? NULL : ev.str;
}
