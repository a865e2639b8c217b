#include "engine/procedure.hpp"

#include <algorithm>

namespace motcua::engine {
namespace {

template <class T, class Key>
const T* find_by(const std::vector<T>& items, std::string Key::*member, std::string_view id) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*member == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string_view to_string(Channel channel) noexcept {
  switch (channel) {
    case Channel::kDesk:
      return "desk";
    case Channel::kOnline:
      return "online";
    case Channel::kPostal:
      return "postal";
  }
  return "online";
}

Result<Channel> parse_channel(std::string_view text) {
  if (text == "desk") return Channel::kDesk;
  if (text == "online") return Channel::kOnline;
  if (text == "postal") return Channel::kPostal;
  return deny(ErrorCode::kInvalidInput,
              "unknown channel '" + std::string(text) + "' (expected desk, online or postal)");
}

const State* Procedure::state(std::string_view id) const { return find_by(states, &State::id, id); }
const Agency* Procedure::agency(std::string_view key) const {
  return find_by(agencies, &Agency::key, key);
}
const Role* Procedure::role(std::string_view id) const { return find_by(roles, &Role::id, id); }
const Component* Procedure::component(std::string_view id) const {
  return find_by(components, &Component::id, id);
}
const Field* Procedure::field(std::string_view id) const { return find_by(fields, &Field::id, id); }

const Transition* Procedure::transition(std::string_view from, std::string_view action) const {
  for (const Transition& t : transitions) {
    if (t.action == action && std::find(t.from.begin(), t.from.end(), from) != t.from.end())
      return &t;
  }
  return nullptr;
}

Duration Procedure::limit_for(Channel channel) const {
  auto it = time_limit.by_channel.find(channel);
  return it == time_limit.by_channel.end() ? time_limit.total : it->second;
}

Duration Procedure::time_limit_for(const FormValues& form, Channel channel) const {
  if (!time_limit.by_field) return limit_for(channel);
  const FieldLimit& rule = *time_limit.by_field;
  auto value = form.find(rule.field);
  if (value == form.end()) return time_limit.total;
  for (const LimitCase& c : rule.cases) {
    if (c.value == value->second) return c.limit;
  }
  return time_limit.total;
}

}  // namespace motcua::engine
