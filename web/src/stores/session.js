import { defineStore } from 'pinia'
import { api } from '../api/client.js'

// The signed-in user, in memory only (the session itself is an HttpOnly cookie).
export const useSessionStore = defineStore('session', {
  state: () => ({ user: null, checked: false }),
  getters: {
    role: (s) => (s.user ? s.user.role : ''),
  },
  actions: {
    async load() {
      try {
        const data = await api.session()
        this.user = data && data.user ? data.user : null
      } catch {
        this.user = null
      }
      this.checked = true
      return this.user
    },
    async login(username, password) {
      const data = await api.login(username, password)
      this.user = data.user
      this.checked = true
      // If the login answer is short of fields (display_name, region_name), ask for the full user.
      if (!this.user || !this.user.region_name || !this.user.display_name) {
        try {
          const s = await api.session()
          if (s && s.user) this.user = { ...this.user, ...s.user }
        } catch { /* keep what we have */ }
      }
      return this.user
    },
    async logout() {
      try { await api.logout() } catch { /* the cookie may already be gone */ }
      this.clear()
    },
    clear() {
      this.user = null
      this.checked = true
    },
  },
})
