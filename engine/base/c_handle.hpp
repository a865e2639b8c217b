#pragma once
// CHandle / CDeleter: a C handle owned on the line that creates it (STYLE.md), e.g.
//   CHandle<xmlDoc, xmlFreeDoc> doc(xmlReadMemory(...));
// The deleter is never called with nullptr (std::unique_ptr guarantees it). One idiom for
// libxml2 and OpenSSL in engine/, workflows/ and store/; signing/ keeps its own copy because it
// depends on no other motcua module.
#include <memory>

namespace motcua::engine {

template <auto F>
struct CDeleter {
  template <class T>
  void operator()(T* p) const noexcept {
    F(p);
  }
};

template <class T, auto F>
using CHandle = std::unique_ptr<T, CDeleter<F>>;

}  // namespace motcua::engine
