// A to-do list per user, written as a RivetKit app: only the imports name troupe.

import { actor, setup } from "troupe";

export interface Todo {
  id: number;
  text: string;
  done: boolean;
}

export const todoList = actor({
  state: { todos: [] as Todo[], nextId: 1 },
  actions: {
    add: (c, text: string) => {
      const todo: Todo = { id: c.state.nextId++, text, done: false };
      c.state.todos.push(todo);
      c.broadcast("changed", c.state.todos);
      return todo;
    },
    toggle: (c, id: number) => {
      const todo = c.state.todos.find((t) => t.id === id);
      if (todo) todo.done = !todo.done;
      c.broadcast("changed", c.state.todos);
      return todo;
    },
    list: (c) => c.state.todos,
  },
});

export const registry = setup({ use: { todoList } });
