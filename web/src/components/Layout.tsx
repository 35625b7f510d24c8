import type { ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { signOut } from '../data/session.js';
import { useStore } from '../store/index.js';
import { Avatar } from './Avatar.js';
import { ConnectionBanner, ConnectionIndicator } from './ConnectionStatus.js';
import { PartBoundary } from './PartBoundary.js';
import { PolicyNotice } from './PolicyNotice.js';

/** The frame of every page: top bar with navigation and the live indicator, then the page. */
export function Layout({ children }: { children: ReactNode }) {
  const me = useStore((s) => s.me);
  const unread = useStore((s) => s.unreadNotifications);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label="Quorum home">
            <img src="/favicon.svg" alt="" /> <span className="brand-name">Quorum</span>
          </Link>
          <ConnectionIndicator />
          <nav className="topnav" aria-label="Main">
            {me ? (
              <>
                <NavLink to="/" end>
                  Inbox
                </NavLink>
                <NavLink to="/groups">Groups</NavLink>
                <NavLink
                  to="/notifications"
                  aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
                >
                  <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3a6 6 0 0 0-6 6v3.5L4.5 16h15L18 12.5V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" />
                  </svg>
                  <span className="nav-label">Notifications</span>{' '}
                  {unread > 0 && (
                    <span className="badge" aria-label={`${unread} unread`}>
                      {unread}
                    </span>
                  )}
                </NavLink>
                <NavLink to="/settings" aria-label={`Settings for ${me.name}`}>
                  <span className="row">
                    <Avatar user={me} size={24} /> <span className="nav-name">{me.name}</span>
                  </span>
                </NavLink>
                <button className="link" onClick={() => void signOut().then(() => navigate('/'))}>
                  Sign out
                </button>
              </>
            ) : (
              <>
                <NavLink to="/groups">Explore</NavLink>
                <NavLink to="/signin">Sign in</NavLink>
                <Link to="/signup" className="button small">
                  Sign up
                </Link>
              </>
            )}
          </nav>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <PartBoundary what="policy notice">
          <PolicyNotice />
        </PartBoundary>
        <PartBoundary what="page" resetKey={pathname}>
          {children}
        </PartBoundary>
      </main>
      <footer className="site-footer">
        <nav aria-label="Privacy">
          <Link to="/privacy">Privacy policy</Link>
          <Link to="/third-parties">Third parties</Link>
          {me && <Link to="/personal-data">Your personal data</Link>}
          {me?.isAdmin && <Link to="/admin/moderation">Site moderation</Link>}
        </nav>
      </footer>
    </>
  );
}
