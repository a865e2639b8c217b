#pragma once
// CHandle / CDeleter: a C handle owned on the line that creates it (STYLE.md), e.g.
//   CHandle<xmlDoc, xmlFreeDoc> doc(xmlReadMemory(...));
// The deleter is never called with nullptr (std::unique_ptr guarantees it). One idiom for
// libxml2, xmlsec, OpenSSL, libpq and SQLite in every module. base/ depends on nothing but the
// standard library, so every module may include it (DESIGN.md).
#include <memory>

namespace motcua::base {

template <auto F>
struct CDeleter {
  template <class T>
  void operator()(T* p) const noexcept {
    F(p);
  }
};

template <class T, auto F>
using CHandle = std::unique_ptr<T, CDeleter<F>>;

}  // namespace motcua::base
