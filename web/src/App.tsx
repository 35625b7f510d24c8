import { useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout.js';
import { loadNotifications } from './data/inbox.js';
import { loadMe } from './data/session.js';
import { connectRealtime } from './realtime/socket.js';
import { useStore } from './store/index.js';
import { ResetPassword, SignInLink, VerifyEmail } from './pages/auth/EmailedLink.js';
import { SignIn } from './pages/auth/SignIn.js';
import { SignUp } from './pages/auth/SignUp.js';
import { Home } from './pages/home/Home.js';
import { NotFound } from './pages/NotFound.js';
import { Notifications } from './pages/account/Notifications.js';
import { Settings } from './pages/account/Settings.js';
import { DiscussionPage } from './pages/discussion/DiscussionPage.js';
import { MeetingPage } from './pages/meeting/MeetingPage.js';
import { ProjectorPage } from './pages/meeting/ProjectorPage.js';
import { GroupsPage } from './pages/group/GroupsPage.js';
import { NewGroupPage } from './pages/group/NewGroupPage.js';
import { GroupPage } from './pages/group/GroupPage.js';
import { InvitationPage } from './pages/group/InvitationPage.js';
import { PersonalDataPage } from './pages/privacy/PersonalDataPage.js';
import { PrivacyPolicyPage } from './pages/privacy/PrivacyPolicyPage.js';
import { ThirdPartiesPage } from './pages/privacy/ThirdPartiesPage.js';
import { UnsubscribePage } from './pages/unsubscribe/UnsubscribePage.js';

/** Pages only for the signed in: others are sent to sign in and brought back. */
function SignedIn({ children }: { children: React.ReactNode }) {
  const status = useStore((s) => s.sessionStatus);
  const location = useLocation();
  if (status === 'unknown') return null;
  if (status === 'signed_out')
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  return children;
}

export function App() {
  const status = useStore((s) => s.sessionStatus);
  useEffect(() => {
    connectRealtime();
    void loadMe();
  }, []);
  useEffect(() => {
    if (status === 'signed_in') void loadNotifications().catch(() => undefined);
  }, [status]);
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/signin" element={<SignIn />} />
        <Route path="/signup" element={<SignUp />} />
        <Route path="/sign-in-link" element={<SignInLink />} />
        <Route path="/reset-password" element={<ResetPassword />} />
        <Route path="/verify-email" element={<VerifyEmail />} />
        <Route path="/groups" element={<GroupsPage />} />
        <Route
          path="/groups/new"
          element={
            <SignedIn>
              <NewGroupPage />
            </SignedIn>
          }
        />
        <Route path="/g/:handle/*" element={<GroupPage />} />
        <Route path="/d/:id" element={<DiscussionPage />} />
        <Route path="/m/:id" element={<MeetingPage />} />
        <Route path="/m/:id/projector" element={<ProjectorPage />} />
        <Route path="/invitations/:token" element={<InvitationPage />} />
        <Route
          path="/notifications"
          element={
            <SignedIn>
              <Notifications />
            </SignedIn>
          }
        />
        <Route
          path="/settings"
          element={
            <SignedIn>
              <Settings />
            </SignedIn>
          }
        />
        <Route path="/privacy" element={<PrivacyPolicyPage />} />
        <Route path="/third-parties" element={<ThirdPartiesPage />} />
        <Route path="/unsubscribe/:token" element={<UnsubscribePage />} />
        <Route
          path="/personal-data"
          element={
            <SignedIn>
              <PersonalDataPage />
            </SignedIn>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
