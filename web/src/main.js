import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import './styles/theme.css'
import './styles/app.css'
import App from './App.vue'
import { i18n } from './i18n.js'
import { router } from './router.js'
import { setUnauthorizedHandler } from './api/client.js'
import { useSessionStore } from './stores/session.js'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(router)

// Any 401 from the API: the session is gone; forget the user and go to the login page.
setUnauthorizedHandler(() => {
  const session = useSessionStore(pinia)
  session.clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: current.fullPath && current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
  }
})

app.mount('#app')
