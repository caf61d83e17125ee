// libedit's native API (Debian libedit-dev). The variadic el_set/el_get and
// history calls are not callable from Swift; CEditShim wraps the ones tk8s uses.
#include <histedit.h>
