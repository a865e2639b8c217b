#pragma once
// Limits applied to every untrusted XML document before libxml2 builds a tree:
// signing/xml_structure.hpp checks them all in one pass over the bytes that costs O(n) and
// allocates nothing per node, because libxml2 2.9's own costs are not linear in them (duplicate
// attribute and namespace checks are quadratic in the attributes of one element, prefix lookups
// scan every namespace in scope) and its tree takes ~30-40 bytes of memory per byte of markup.
// The defaults hold every real document motcua exchanges with room to spare: a 10 KB receipt
// has ~300 nodes, 10 attributes and 5 namespaces on its busiest element; an edXML envelope
// carries its attachments as base64 in one text node each (8 MiB of base64 = 6 MiB of file).
// Errors: kTooLarge (max_bytes, max_text_bytes), kTooDeep (max_depth), kDocumentTooComplex (the
// others).
#include <cstddef>

namespace motcua::signing {

struct Limits {
  std::size_t max_bytes = 16 * 1024 * 1024;  // whole document
  int max_depth = 64;                        // element nesting
  // Attributes on one element, namespace declarations not included.
  std::size_t max_attributes = 64;
  // xmlns and xmlns:p declarations on one element, and in scope at any element (libxml2 looks
  // each prefix up through all of them).
  std::size_t max_namespace_declarations = 32;
  std::size_t max_namespaces_in_scope = 64;
  // Nodes in the document: elements, attributes, namespace declarations, text runs, CDATA
  // sections, comments and processing instructions. Bounds the tree's memory: ~125-160 bytes a
  // node with libxml2 2.9.14, ~155 MB at the limit (bench/signing/xml_bounds_bench).
  std::size_t max_nodes = 1'000'000;
  // One text run, CDATA section, comment, processing instruction or attribute value, in bytes of
  // input (libxml2 2.9.14 bounds attribute values at 10,000,000 bytes, text not at all).
  std::size_t max_text_bytes = 8 * 1024 * 1024;
};

}  // namespace motcua::signing
