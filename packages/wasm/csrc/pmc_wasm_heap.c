/*
 * The wasm heap: malloc/free for the C core and the JavaScript loader on the module's linear
 * memory (no libc in a -nostdlib wasm32 build), plus the memcpy/memset/memmove/memcmp the
 * compiler may still call.
 *
 * One address-ordered free list, first fit, blocks split on allocation and merged with their
 * neighbours on free, so the big per-call buffers (inputs, outputs, the decoder's tables) are
 * reused from call to call instead of growing the memory again. The memory grows in whole
 * 64 KiB pages when no free block fits; a failed memory.grow, a request beyond 4 GiB or beyond
 * the optional limit (pmc_wasm_set_heap_limit) returns NULL, which the core reports as
 * PMC_ERR_NO_MEMORY and the loader as a typed error (never a trap).
 */
#include <stddef.h>
#include <stdint.h>

#include "pmc_wasm.h"

#define ALIGN 16u
#define HEADER 16u
#define MIN_SPLIT 64u
#define PAGE 65536u

typedef struct block {
  uint32_t size; /* bytes of the whole block, header included; multiple of ALIGN */
  uint32_t magic;
  struct block *next; /* next free block (address order); only while free */
  uint32_t pad[2];
} block;

#define MAGIC_USED 0x75736564u
#define MAGIC_FREE 0x66726565u

extern unsigned char __heap_base;

static block *g_free;   /* first free block */
static uint64_t g_top;  /* end of the managed area (every byte below is in some block) */
static uint64_t g_limit = (uint64_t)1 << 32; /* the most memory the heap may make the module use */

static uint64_t memory_bytes(void) { return (uint64_t)__builtin_wasm_memory_size(0) * PAGE; }

void pmc_wasm_set_heap_limit(uint64_t bytes) {
  g_limit = bytes == 0 || bytes > ((uint64_t)1 << 32) ? (uint64_t)1 << 32 : bytes;
}

uint64_t pmc_wasm_memory_bytes(void) { return memory_bytes(); }

/* Makes [g_top, g_top + bytes) available by growing the memory if needed; 0 on failure. */
static int extend(uint64_t bytes) {
  if (g_top == 0) g_top = ((uint64_t)(uintptr_t)&__heap_base + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
  const uint64_t end = g_top + bytes;
  if (end > g_limit || end > ((uint64_t)1 << 32) - PAGE) return 0;
  const uint64_t have = memory_bytes();
  if (end > have) {
    const uint64_t pages = (end - have + PAGE - 1) / PAGE;
    if (__builtin_wasm_memory_grow(0, (size_t)pages) == (size_t)-1) return 0;
  }
  return 1;
}

static void insert_free(block *b) {
  b->magic = MAGIC_FREE;
  block *prev = NULL, *cur = g_free;
  while (cur && cur < b) {
    prev = cur;
    cur = cur->next;
  }
  b->next = cur;
  if (cur && (unsigned char *)b + b->size == (unsigned char *)cur) {
    b->size += cur->size;
    b->next = cur->next;
  }
  if (prev && (unsigned char *)prev + prev->size == (unsigned char *)b) {
    prev->size += b->size;
    prev->next = b->next;
  } else if (prev) {
    prev->next = b;
  } else {
    g_free = b;
  }
}

void *malloc(size_t n) {
  if ((uint64_t)n > ((uint64_t)1 << 32) - 2 * PAGE) return NULL;
  const uint32_t need = (uint32_t)(((uint64_t)n + HEADER + ALIGN - 1) & ~(uint64_t)(ALIGN - 1));
  block *prev = NULL, *b = g_free;
  while (b && b->size < need) {
    prev = b;
    b = b->next;
  }
  if (!b) {
    /* Extend the last free block when it ends at the top, else add a new block there. */
    block *last = g_free, *before_last = NULL;
    while (last && last->next) {
      before_last = last;
      last = last->next;
    }
    if (last && (uint64_t)(uintptr_t)last + last->size == g_top) {
      const uint64_t more = need - last->size;
      if (!extend(more)) return NULL;
      g_top += more;
      last->size = need;
      b = last;
      prev = before_last;
    } else {
      if (!extend(need)) return NULL;
      b = (block *)(uintptr_t)g_top;
      g_top += need;
      b->size = need;
      b->next = NULL;
      /* not linked: allocated directly below */
      b->magic = MAGIC_USED;
      return (unsigned char *)b + HEADER;
    }
  }
  /* unlink b, splitting off the tail when it is worth keeping */
  block *rest = b->next;
  if (b->size - need >= MIN_SPLIT) {
    block *tail = (block *)((unsigned char *)b + need);
    tail->size = b->size - need;
    tail->magic = MAGIC_FREE;
    tail->next = rest;
    rest = tail;
    b->size = need;
  }
  if (prev) prev->next = rest;
  else g_free = rest;
  b->magic = MAGIC_USED;
  return (unsigned char *)b + HEADER;
}

void free(void *p) {
  if (!p) return;
  block *b = (block *)((unsigned char *)p - HEADER);
  if (b->magic != MAGIC_USED) __builtin_trap(); /* double free or a wild pointer: a bug */
  insert_free(b);
}

/* The sum of free bytes and the number of free blocks (tests check that calls leak nothing). */
uint64_t pmc_wasm_heap_free_bytes(void) {
  uint64_t s = 0;
  for (block *b = g_free; b; b = b->next) s += b->size;
  return s;
}

uint64_t pmc_wasm_heap_top(void) { return g_top; }

/* Out-of-line versions for the calls clang emits on its own (struct copies, large clears). The
 * builtins lower to memory.copy / memory.fill (bulk memory, enabled in both builds). */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}
void *memmove(void *dst, const void *src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}
void *memset(void *dst, int c, size_t n) {
  __builtin_memset(dst, c, n);
  return dst;
}
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}
